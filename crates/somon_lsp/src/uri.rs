//! `file:` URIs ↔ paths (through `url`, which knows percent-encoding and
//! Windows drive letters).

use lsp_types::Uri;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let url = url::Url::parse(uri.as_str()).ok()?;
    let p = url.to_file_path().ok()?;
    Some(somon_project::fs::normalize(&p))
}

pub fn uri_of(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_cyrillic_and_spaces_round_trip() {
        let p = PathBuf::from("/лоиҳа/папка нав/асосӣ.som");
        let uri = uri_of(&p);
        assert!(uri
            .as_ref()
            .is_some_and(|u| u.as_str().starts_with("file:///")));
        assert_eq!(uri.and_then(|u| path_of(&u)), Some(p));
    }
}
