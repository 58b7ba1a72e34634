//! The spawn start method: start the program again, from the top, and tell
//! the new copy it is a child. This is why Python needs
//! `if __name__ == "__main__":`: spawn re-imports the main module, and
//! without the guard each child would try to start children of its own;
//! CPython notices and stops it with a `RuntimeError` instead.
//! Run: cargo run -p processes-exercise --example spawn_main

use std::env;
use std::process::Command;

// ANCHOR: spawn
fn main() {
    let args: Vec<String> = env::args().collect();
    // The "__main__ guard": which role is this run of the program playing?
    if args.get(1).map(String::as_str) == Some("--child") {
        let x: u64 = args[2].parse().expect("a number");
        println!("  child {}: {x} squared is {}", std::process::id(), x * x);
        std::process::exit(0);
    }

    // Parent: run this same executable again, with arguments saying
    // "you are a child, here is your work". Nothing is inherited but the
    // arguments, the environment and the open standard streams.
    let me = env::current_exe().expect("the path of this program");
    let mut children = Vec::new();
    for x in [3, 4, 5] {
        let child = Command::new(&me)
            .args(["--child", &x.to_string()])
            .spawn()
            .expect("start a copy of this program");
        children.push(child);
    }
    for mut child in children {
        let status = child.wait().expect("wait"); // Python: p.join()
        assert!(status.success());
    }
    println!("parent {}: all children done", std::process::id());
}
// ANCHOR_END: spawn
