//! The machine the numbers were taken on, and whether it was quiet.

use std::fs;
use std::process::Command;

use serde::{Deserialize, Serialize};

/// The machine and toolchain the numbers were measured on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Machine {
    pub(super) cpu: String,
    pub(super) cores: usize,
    pub(super) memory_gib: f64,
    pub(super) kernel: String,
    pub(super) rustc: String,
    pub(super) python: Option<String>,
    /// The 1-minute load average when the run began: well above 0 means
    /// other programs competed for the cores, and the numbers are noisy.
    pub(super) load_average: Option<f64>,
    /// The 1-minute load average when the run ended (the benchmark's own
    /// work counts in it).
    #[serde(default)]
    pub(super) load_after: Option<f64>,
    /// The day of the measurement, `YYYY-MM-DD` (UTC).
    pub(super) date: String,
}

impl Machine {
    pub(super) fn detect(python: Option<String>, load_average: Option<f64>) -> Machine {
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                (k.trim() == "model name").then(|| v.trim().to_string())
            })
            .unwrap_or_else(|| "unknown CPU".into());
        let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let kib: f64 = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        let kernel = fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|k| format!("Linux {}", k.trim()))
            .unwrap_or_else(|_| std::env::consts::OS.to_string());
        let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_else(|| "rustc (unknown version)".into());
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gib: (kib / 1024.0 / 1024.0 * 10.0).round() / 10.0,
            kernel,
            rustc,
            python,
            load_average,
            load_after: None,
            date: jiff::Timestamp::now().strftime("%Y-%m-%d").to_string(),
        }
    }
}

/// Above this 1-minute load average per core, the machine is busy: other
/// programs compete for the cores and the numbers are noise.
pub(super) const BUSY_PER_CORE: f64 = 0.25;
/// How long `bench` waits for a busy machine to become quiet.
pub(super) const QUIET_WAIT: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// The load average above which this machine counts as busy.
pub(super) fn busy_above() -> f64 {
    BUSY_PER_CORE * std::thread::available_parallelism().map_or(1, |n| n.get()) as f64
}

/// Waits (saying so) until the machine is quiet, up to [`QUIET_WAIT`];
/// returns the load average measurement starts with. A machine still busy
/// after that is an error, unless `force`.
pub(super) fn wait_for_quiet(force: bool) -> Result<Option<f64>, String> {
    let limit = busy_above();
    let start = std::time::Instant::now();
    loop {
        let Some(load) = load_average() else {
            return Ok(None);
        };
        if load <= limit {
            return Ok(Some(load));
        }
        if force {
            eprintln!(
                "bench: WARNING: the machine is busy (load average {load:.2}, quiet is below \
                 {limit:.2}); measuring anyway (--force), and the page will say so"
            );
            return Ok(Some(load));
        }
        let waited = start.elapsed();
        if waited >= QUIET_WAIT {
            return Err(format!(
                "the machine stayed busy for {} minutes (load average {load:.2}, quiet is below \
                 {limit:.2}): numbers taken now would measure the other programs too. Run it \
                 again when the machine is quiet, or add --force to measure anyway (the results \
                 page then carries a warning).",
                QUIET_WAIT.as_secs() / 60
            ));
        }
        eprintln!(
            "bench: the machine is busy (load average {load:.2}; waiting for it to drop below \
             {limit:.2}, {} s more at most; --force measures anyway)",
            (QUIET_WAIT - waited).as_secs()
        );
        std::thread::sleep(std::time::Duration::from_secs(15));
    }
}

/// The 1-minute load average (`/proc/loadavg`), if the system reports one.
pub(super) fn load_average() -> Option<f64> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}
