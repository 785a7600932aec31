//! Helpers that need nothing of the test harness, so `examples/serve_latency.rs` includes this
//! file too (`#[path]`): a file walk, a tree copy and the smallest live-reload WebSocket client.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};

/// Every file below `dir` (folders descended into, not listed), in no particular order.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Copy a file, or a folder with everything below it, to `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            copy_tree(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// A client of `handbook serve`'s live-reload WebSocket that reads the server's text frames.
pub struct Socket {
    pub s: TcpStream,
}

impl Socket {
    /// Connect to the server on 127.0.0.1:`port` and ask for the upgrade; the server's answer
    /// head (status line and headers) comes back beside the socket.
    pub fn connect(port: u16) -> (Socket, String) {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET /__handbook/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let mut head = Vec::new();
        let mut b = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            s.read_exact(&mut b).unwrap();
            head.push(b[0]);
        }
        let head = String::from_utf8_lossy(&head).into_owned();
        (Socket { s }, head)
    }

    /// The payload of the next text frame (other frames skipped), or `None` on a close frame
    /// or when reading fails (the read timeout included).
    pub fn next_text(&mut self) -> Option<Vec<u8>> {
        loop {
            let mut h = [0u8; 2];
            self.s.read_exact(&mut h).ok()?;
            let mut len = (h[1] & 0x7f) as u64;
            if len == 126 {
                let mut l = [0u8; 2];
                self.s.read_exact(&mut l).ok()?;
                len = u16::from_be_bytes(l) as u64;
            } else if len == 127 {
                let mut l = [0u8; 8];
                self.s.read_exact(&mut l).ok()?;
                len = u64::from_be_bytes(l);
            }
            let mut payload = vec![0u8; len as usize];
            self.s.read_exact(&mut payload).ok()?;
            match h[0] & 0x0f {
                1 => return Some(payload),
                8 => return None,
                _ => {}
            }
        }
    }
}
