//! Rendering: each note's Markdown to HTML once, with code highlighted and diagrams drawn.

pub mod diagram;
pub mod highlight;
pub mod markdown;
