//! Low-level helpers shared by every stage; imports nothing else of ours.

pub mod html;
pub mod mime;
pub mod paths;
pub mod slug;
pub mod text;
