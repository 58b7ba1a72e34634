//! The worker program of the downloads bench's `processes` version:
//! `downloads-fetch URL DEST [URL DEST ...]` downloads each pair in turn
//! and exits 0 only if every file was saved.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ok = workloads::downloads::fetch_pairs(&args);
    std::process::exit(if ok { 0 } else { 1 });
}
