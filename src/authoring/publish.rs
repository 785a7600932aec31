//! The publishing files `init` writes: the book's GitHub Pages workflow and its README.

/// The repository handbook is released from (build.rs: `HANDBOOK_REPOSITORY` in release
/// builds, else the GitHub `origin` remote of the checkout, else this placeholder).
pub(crate) const REPOSITORY: &str = env!("HANDBOOK_BUILD_REPOSITORY");
pub(crate) const PLACEHOLDER: &str = "OWNER/handbook";

const WORKFLOW: &str = include_str!("book-pages.yml");
const README: &str = include_str!("book-readme.md");

/// Where the new book's workflow is written.
pub(crate) const WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// `owner/name@vX.Y.Z`: the action at the release matching this binary.
pub(crate) fn action_ref() -> String {
    format!("{REPOSITORY}@v{}", env!("CARGO_PKG_VERSION"))
}

/// The GitHub Pages workflow: checkout, the handbook action, upload, deploy.
pub(crate) fn workflow() -> String {
    WORKFLOW.replace("{{action}}", &action_ref())
}

/// The book's README: how to write, and how to publish (with or without the workflow).
pub(crate) fn readme(title: &str, with_workflow: bool) -> String {
    let publishing = if with_workflow {
        format!(
            "\n`{WORKFLOW_PATH}` builds the book and publishes it with GitHub Pages on every push \
             to `main`. Turn it on once:\n\n\
             1. Push this folder to a repository on GitHub.\n\
             2. Open **Settings → Pages** and under **Build and deployment → Source** choose \
             **GitHub Actions**.\n\
             3. Push to `main`, or run the workflow by hand (**Actions → Publish to GitHub Pages \
             → Run workflow**). The site is then at `https://<user>.github.io/<repository>/`, \
             shown on the Settings → Pages screen.\n\n\
             The workflow uses the handbook action `{}`: it installs that release of handbook \
             (checksum verified, cached), builds with the Pages address and fails on broken \
             links. Change the version after `@` to move to a newer handbook.\n",
            action_ref()
        )
    } else {
        "\n`handbook build` writes the site into `public/`: plain files with relative links \
         that any static host serves (pass `--site-url https://.../` for canonical links and a \
         sitemap). For GitHub Pages, run `handbook init --force` here to add the workflow; \
         existing files are kept.\n"
            .to_string()
    };
    README
        .replace("{{title}}", title)
        .replace(
            "{{handbook_url}}",
            &format!("https://github.com/{REPOSITORY}"),
        )
        .replace("{{publishing}}", &publishing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_names_the_action_at_this_version() {
        let w = workflow();
        let want = format!("uses: {REPOSITORY}@v{}", env!("CARGO_PKG_VERSION"));
        assert!(w.contains(&want), "{w}");
        // `${{ ... }}` is a GitHub expression; a bare `{{` would be one of ours left unfilled.
        assert!(
            !w.replace("${{", "").contains("{{"),
            "a placeholder is left: {w}"
        );
    }

    #[test]
    fn readme_says_how_to_turn_pages_on_only_with_the_workflow() {
        let r = readme("My Notes", true);
        assert!(r.starts_with("# My Notes\n"));
        assert!(r.contains("Source** choose **GitHub Actions**"), "{r}");
        assert!(!r.contains("{{"), "{r}");
        let r = readme("My Notes", false);
        assert!(!r.contains(WORKFLOW_PATH) && r.contains("handbook init --force"));
    }
}
