//! `printf ... | sort | uniq -c` built by hand, with every stage's exit
//! status. Python: `python/pipeline.py`.

use std::io::Read;
use std::process::{Command, Stdio};

// ANCHOR: main
fn main() -> std::io::Result<()> {
    let mut first = Command::new("printf")
        .arg("pear\\napple\\npear\\nfig\\n")
        .stdout(Stdio::piped())
        .spawn()?;
    let mut second = Command::new("sort")
        .stdin(Stdio::from(first.stdout.take().unwrap())) // moved: no copy left here
        .stdout(Stdio::piped())
        .spawn()?;
    let mut third = Command::new("uniq")
        .arg("-c")
        .stdin(Stdio::from(second.stdout.take().unwrap()))
        .stdout(Stdio::piped())
        .spawn()?;
    // All three run now. Read the end of the pipeline, then wait for each.
    let mut text = String::new();
    third.stdout.take().unwrap().read_to_string(&mut text)?;
    let statuses = [first.wait()?, second.wait()?, third.wait()?];
    print!("{text}");
    println!("statuses: {statuses:?}");
    Ok(())
}
// ANCHOR_END: main
