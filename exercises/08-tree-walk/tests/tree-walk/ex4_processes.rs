use std::fs;
use std::path::{Path, PathBuf};

use nix::unistd::getpid;
use support::require;
use tree_walk::ex4_processes::walk_in_processes;

use crate::{SMALL, Tree};

const LOOK: &str = "walk_in_processes (src/ex4_processes.rs)";
const STUCK: &str = "the parent never finished reading its walkers' pipes. Does the parent \
    drop its copy of each pipe's write end after fork? Does each child _exit after writing? \
    Look at walk_in_processes (src/ex4_processes.rs)";

support::isolated_tests! {
    /// The serial listing: top-level folders listed once (by their walker),
    /// the files directly under the root by the parent.
    fn lists_every_folder_and_file_sorted() within 10 s {
        support::step("walking the small tree with one process per top folder", STUCK);
        crate::lists_the_small_tree(walk_in_processes, LOOK);
    }

    /// a and b are walked by two different processes, neither of them the
    /// caller; the root is read by the caller. The walkers say who they are
    /// by creating a file named after their pid in a side folder.
    fn each_top_folder_is_walked_by_a_process_of_its_own() within 10 s {
        let tree = Tree::new(SMALL);
        let side = tempfile::Builder::new().prefix("workbook-pids-").tempdir().unwrap();
        let hook = |dir: &Path| {
            let name = dir.file_name().map_or("root".into(), |n| n.to_string_lossy().into_owned());
            let _ = fs::write(side.path().join(format!("{name}.{}", getpid())), b"");
        };
        support::step("walking the small tree with one process per top folder", STUCK);
        crate::walk_ok(walk_in_processes, tree.root(), &hook, LOOK);
        let pid_of = |folder: &str| -> Vec<String> {
            fs::read_dir(side.path()).unwrap().flatten()
                .filter_map(|e| e.file_name().to_str()?.strip_prefix(&format!("{folder}."))
                                 .map(str::to_string))
                .collect()
        };
        let me = getpid().to_string();
        let root_name = tree.root().file_name().unwrap().to_string_lossy().into_owned();
        let (a, b, root) = (pid_of("a"), pid_of("b"), pid_of(&root_name));
        require!(a.len() == 1 && b.len() == 1 && a != b && a[0] != me && b[0] != me
                     && root == [me.clone()],
            expected: format!("folder a read by one child process, folder b by another, the \
                               root by the caller (pid {me})"),
            got: format!("a read by pids {a:?}, b by {b:?}, the root by {root:?}"),
            look_at: "walk_in_processes (src/ex4_processes.rs): is there one fork per folder \
                      directly under the root, and does the child (not the parent) walk it?");
    }

    /// A walker that dies before it sends anything: an error for its
    /// folder, the others' results kept.
    fn a_walker_that_dies_is_an_error_for_its_folder() within 10 s {
        let tree = Tree::new(SMALL);
        let me = getpid();
        let b = tree.path("b");
        let hook = |dir: &Path| {
            if dir == b && getpid() != me {
                // SAFETY: ends this walker process at once, as a crash would.
                unsafe { libc::_exit(9) }
            }
        };
        support::step("walking a tree whose walker for folder b dies", STUCK);
        let got = crate::walk_ok(walk_in_processes, tree.root(), &hook, LOOK);
        let want: Vec<PathBuf> = tree.expected(&[]).into_iter()
            .filter(|p| !p.starts_with(&b)).collect();
        let error_paths: Vec<PathBuf> = got.errors.iter().map(|e| e.path.clone()).collect();
        require!(got.paths == want && error_paths == [b.clone()],
            expected: format!("one error for folder b, whose walker died without a word, and \
                               everything else listed: {}", tree.show(&want)),
            got: format!("{}; errors: {:?}", tree.difference(&got.paths, &want), got.errors),
            look_at: "walk_in_processes (src/ex4_processes.rs): what does given::receive return \
                      when a walker sent nothing, and does that become a WalkError for its folder?");
    }

    fn a_root_that_does_not_exist_is_an_error() {
        crate::a_missing_root_is_an_error(walk_in_processes, LOOK);
    }

    fn a_symlink_loop_is_listed_once_and_not_entered() within 10 s {
        support::step("walking a tree with a link back to its root", STUCK);
        crate::a_symlink_loop_is_listed_once(walk_in_processes, LOOK);
    }

    fn a_non_utf8_name_is_kept_byte_for_byte() within 10 s {
        crate::a_non_utf8_name_is_kept(walk_in_processes, LOOK);
    }

    fn an_unreadable_folder_is_an_error_and_the_walk_goes_on() within 10 s {
        crate::an_unreadable_folder_is_an_error(walk_in_processes, LOOK, STUCK);
    }

    fn a_folder_removed_during_the_walk_is_an_error_and_the_walk_goes_on() within 10 s {
        crate::a_folder_removed_mid_walk_is_an_error(walk_in_processes, LOOK, STUCK);
    }
}
