mod bench;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    bench::run(std::path::Path::new("."), &args)
}
