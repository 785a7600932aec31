//! Tests for the diagram language: parsing, errors, SVG output and robustness.

mod errors;
mod output;
mod parser;
mod robustness;

use super::parse::{Body, Column, Event, Flow, Label, Link, Shape, Stack, parse};
use super::{DiagramError, describe, render};

fn stack(src: &str) -> Stack {
    match parse(src).expect("valid stack").body {
        Body::Stack(s) => s,
        other => panic!("expected a stack, got {other:?}"),
    }
}

fn plain(text: &str) -> Label {
    Label {
        text: text.to_string(),
        sub: None,
        shape: Shape::Plain,
    }
}

fn error(src: &str) -> DiagramError {
    match render(src) {
        Err(e) => e,
        Ok(html) => panic!("expected an error for {src:?}, got {html}"),
    }
}
