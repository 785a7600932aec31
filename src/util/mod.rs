//! Low-level helpers shared by every stage; imports nothing else of ours.

pub mod html;
pub(crate) mod mime;
pub(crate) mod paths;
pub(crate) mod slug;
pub(crate) mod text;
