use std::io;
use std::path::Path;
use std::sync::Barrier;

use support::require;
use tree_walk::ex3_parallel::walk_parallel;
use tree_walk::given::{Listing, OnDir, quiet};

use crate::Tree;

const LOOK: &str = "walk_parallel (src/ex3_parallel.rs)";
const STUCK: &str = "the parallel walk never ended after a folder could not be read. Every \
    pop() must be followed by one done(), or the queue believes a worker still holds an item \
    and the others wait for it for ever: is done() called on the error path too? Look at \
    walk_parallel (src/ex3_parallel.rs)";

fn two(root: &Path, on_dir: OnDir) -> io::Result<Listing> {
    walk_parallel(root, 2, on_dir)
}

fn four(root: &Path, on_dir: OnDir) -> io::Result<Listing> {
    walk_parallel(root, 4, on_dir)
}

support::isolated_tests! {
    /// The serial listing, whatever the number of threads.
    fn lists_the_tree_on_1_2_and_4_threads() {
        support::step("walking the small tree on 1, 2 and 4 threads",
            "the walk never ended: do the workers stop when pop() returns None? Look at \
             walk_parallel (src/ex3_parallel.rs)");
        crate::lists_the_small_tree(|r, h| walk_parallel(r, 1, h), LOOK);
        crate::lists_the_small_tree(two, LOOK);
        crate::lists_the_small_tree(four, LOOK);
    }

    /// A bigger tree: 8 folders of 8 folders of 4 files, on 4 threads.
    fn a_wider_tree_is_listed_whole() {
        let mut entries = Vec::new();
        for i in 0..8 {
            entries.push(format!("d{i}/"));
            for j in 0..8 {
                entries.push(format!("d{i}/e{j}/"));
                for k in 0..4 {
                    entries.push(format!("d{i}/e{j}/f{k}"));
                }
            }
        }
        let names: Vec<&str> = entries.iter().map(String::as_str).collect();
        let tree = Tree::new(&names);
        let got = crate::walk_ok(four, tree.root(), &quiet, LOOK);
        let want = tree.expected(&[]);
        require!(got.paths == want,
            expected: format!("all {} paths, each once, in byte order", want.len()),
            got: tree.difference(&got.paths, &want),
            look_at: "walk_parallel (src/ex3_parallel.rs): does every worker's listing reach \
                      the result, and is the merged listing sorted?");
    }

    /// Folders a and b are read by two workers at once: they meet at a
    /// barrier inside on_dir.
    fn two_folders_are_read_at_the_same_time() {
        let tree = Tree::new(&["a/", "a/x", "b/", "b/y"]);
        let meet = Barrier::new(2);
        let (a, b) = (tree.path("a"), tree.path("b"));
        let hook = |dir: &Path| {
            if dir == a || dir == b {
                meet.wait();
            }
        };
        support::step("waiting for two workers to read folders a and b at the same time",
            "only one worker ever reads a folder. Do the other workers quit when they find \
             the queue empty at the start, while the first one is still reading the root? \
             Look at walk_parallel (src/ex3_parallel.rs) and WorkQueue::pop (src/ex2_queue.rs)");
        let got = crate::walk_ok(two, tree.root(), &hook, LOOK);
        require!(got.paths == tree.expected(&[]),
            expected: "the whole tree", got: tree.difference(&got.paths, &tree.expected(&[])),
            look_at: LOOK);
    }

    fn a_root_that_does_not_exist_is_an_error() {
        crate::a_missing_root_is_an_error(two, LOOK);
    }

    fn a_symlink_loop_is_listed_once_and_not_entered() {
        crate::a_symlink_loop_is_listed_once(two, LOOK);
    }

    fn a_non_utf8_name_is_kept_byte_for_byte() {
        crate::a_non_utf8_name_is_kept(two, LOOK);
    }

    fn an_unreadable_folder_is_an_error_and_the_walk_goes_on() {
        crate::an_unreadable_folder_is_an_error(two, LOOK, STUCK);
    }

    fn a_folder_removed_during_the_walk_is_an_error_and_the_walk_goes_on() {
        crate::a_folder_removed_mid_walk_is_an_error(two, LOOK, STUCK);
    }
}
