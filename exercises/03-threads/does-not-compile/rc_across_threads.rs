// ANCHOR: not-send
// `Rc` counts its owners with a plain integer, so two threads cloning and
// dropping it at once would corrupt the count. `Rc` is not `Send`, and
// `thread::spawn` only takes closures that are: error E0277.
use std::rc::Rc;

fn main() {
    let shared = Rc::new(vec![1, 2, 3]);
    let for_thread = Rc::clone(&shared);
    let handle = std::thread::spawn(move || for_thread.len());
    println!("{}", handle.join().unwrap() + shared.len());
}
// ANCHOR_END: not-send
