//! The integration tests, linked into one binary (one link step, one shared build of the book).

mod common;

mod authoring;
mod bench_scripts;
mod build;
mod check;
mod diagrams;
mod differential;
mod escaping;
mod export;
mod extensions;
mod html_parity;
mod import;
mod inproc;
mod pages;
mod props;
// The install script's tests serve the host's real binary as the Linux archive.
#[cfg(target_os = "linux")]
mod publish;
mod reader;
mod reader_scale;
mod serve;
mod study;
mod template_errors;
