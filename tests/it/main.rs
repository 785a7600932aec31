//! The integration tests, linked into one binary (one link step, one shared build of the book).

mod common;

mod authoring;
mod build;
mod check;
mod diagrams;
mod escaping;
mod export;
mod inproc;
mod pages;
mod props;
mod reader;
mod serve;
