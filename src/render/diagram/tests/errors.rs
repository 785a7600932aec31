//! Mistakes reported with their line and a message that says what to write.

use super::*;

#[test]
fn error_unknown_kind() {
    let e = error("title: x\nkind: flow\nA");
    assert_eq!(e.line, 2);
    assert!(e.message.contains("unknown diagram kind `flow`"), "{e}");
    assert!(
        e.message
            .contains("allowed: stack, compare, spectrum, sequence"),
        "{e}"
    );
}

#[test]
fn error_arrow_without_row_above() {
    let e = error("title: x\n↓\nA");
    assert_eq!(e.line, 2);
    assert!(e.message.contains("no row above"), "{e}");
}

#[test]
fn error_arrow_without_row_below() {
    let e = error("A\n↓\nB\n\n↓ cache miss\n");
    assert_eq!(e.line, 5);
    assert!(e.message.contains("no row below"), "{e}");
    let e = error("A\n↓\n↓\nB");
    assert_eq!(e.line, 2);
}

#[test]
fn error_unclosed_brace() {
    let e = error("A\n↓\nPostgres {db");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("unclosed `{`"), "{e}");
    assert!(
        e.message
            .contains("{db}, {queue}, {cache}, {user}, {cloud}, {note}"),
        "{e}"
    );
}

#[test]
fn error_unknown_shape_hint() {
    let e = error("A | Store {disk}");
    assert_eq!(e.line, 1);
    assert!(e.message.contains("unknown shape hint `{disk}`"), "{e}");
    assert!(
        e.message
            .contains("allowed: {db}, {queue}, {cache}, {user}, {cloud}, {note}"),
        "{e}"
    );
}

#[test]
fn error_empty_diagram() {
    let e = error("title: Nothing here\n\n");
    assert_eq!(e.line, 1);
    assert!(e.message.contains("empty"), "{e}");
    assert_eq!(error("").line, 1);
    assert!(error("   \n\n").message.contains("empty"));
}

#[test]
fn error_sequence_message_to_nowhere() {
    let e = error("kind: sequence\nA → B: ok\nA → : x");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("goes nowhere"), "{e}");
    assert!(e.message.contains("A → Server: text"), "{e}");
}

#[test]
fn error_compare_item_before_heading() {
    let e = error("kind: compare\n\n- orphan\n# Later");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("before any column heading"), "{e}");
    assert!(e.message.contains("# Heading"), "{e}");
}

#[test]
fn error_spectrum_without_double_arrow() {
    let e = error("kind: spectrum\nA ↔ B\nFast → Cheap");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("without `↔`"), "{e}");
}

#[test]
fn other_errors_name_the_line() {
    assert_eq!(error("A\n→ B").line, 2);
    assert_eq!(error("A →").line, 1);
    assert_eq!(error("A | | B").line, 1);
    assert_eq!(
        error("kind: sequence\nparticipants: A, B\nA → C: x").line,
        3
    );
    assert_eq!(error("kind: sequence\nnote A").line, 2);
    assert_eq!(error("kind: compare\n# A\nrandom").line, 3);
    assert_eq!(error("A →|oops B").line, 1);
    let e = error("kind: flow");
    assert_eq!(e.to_string(), format!("diagram line 1: {}", e.message));
}
