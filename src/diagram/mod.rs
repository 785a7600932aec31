//! Placeholder until the diagram renderer lands: shows the source as text.
#[derive(Debug)]
pub struct DiagramError {
    pub line: usize,
    pub message: String,
}
pub fn render(source: &str) -> Result<String, DiagramError> {
    Ok(format!("<pre>{}</pre>", crate::markdown::escape(source)))
}
pub fn stylesheet() -> String {
    String::new()
}
