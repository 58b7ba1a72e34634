use std::path::{Path, PathBuf};
use std::sync::Mutex;

use support::require;
use tree_walk::ex1_serial::walk_serial;
use tree_walk::given::quiet;

use crate::{SMALL, Tree};

const LOOK: &str = "walk_serial (src/ex1_serial.rs)";
const STUCK: &str = "the serial walk never ended: does it loop over a folder again and again \
                     (a link followed back up the tree)?";

support::isolated_tests! {
    /// Every folder and file, sorted, each once; the root too.
    fn lists_every_folder_and_file_sorted() {
        crate::lists_the_small_tree(walk_serial, LOOK);
    }

    /// on_dir sees each folder once, the root included, and no file.
    fn on_dir_is_called_once_per_folder() {
        let tree = Tree::new(SMALL);
        let seen = Mutex::new(Vec::new());
        let record = |dir: &Path| seen.lock().unwrap().push(dir.to_path_buf());
        crate::walk_ok(walk_serial, tree.root(), &record, LOOK);
        let mut got = seen.into_inner().unwrap();
        got.sort();
        let mut want: Vec<PathBuf> = ["", "a", "a/deep", "b", "b/sub"].iter().map(|r| tree.path(r)).collect();
        want.sort();
        require!(got == want,
            expected: format!("on_dir called once for each folder: {}", tree.show(&want)),
            got: tree.show(&got),
            look_at: "walk_serial (src/ex1_serial.rs): is on_dir called for every folder, \
                      just before it is read, and only for folders?");
    }

    /// A root that is a file is listed alone.
    fn a_file_as_root_is_listed_alone() {
        let tree = Tree::new(&["only.txt"]);
        let file = tree.path("only.txt");
        let got = crate::walk_ok(walk_serial, &file, &quiet, LOOK);
        require!(got.paths == [file.clone()] && got.errors.is_empty(),
            expected: "a root that is a file: the listing is that one path, no errors",
            got: format!("{} with errors {:?}", tree.show(&got.paths), got.errors),
            look_at: "walk_serial (src/ex1_serial.rs): does it try to read a file as a folder?");
    }

    fn a_root_that_does_not_exist_is_an_error() {
        crate::a_missing_root_is_an_error(walk_serial, LOOK);
    }

    fn a_symlink_loop_is_listed_once_and_not_entered() {
        support::step("walking a tree with a link back to its root", STUCK);
        crate::a_symlink_loop_is_listed_once(walk_serial, LOOK);
    }

    fn a_non_utf8_name_is_kept_byte_for_byte() {
        crate::a_non_utf8_name_is_kept(walk_serial, LOOK);
    }

    fn an_unreadable_folder_is_an_error_and_the_walk_goes_on() {
        crate::an_unreadable_folder_is_an_error(walk_serial, LOOK, STUCK);
    }

    fn a_folder_removed_during_the_walk_is_an_error_and_the_walk_goes_on() {
        crate::a_folder_removed_mid_walk_is_an_error(walk_serial, LOOK, STUCK);
    }
}
