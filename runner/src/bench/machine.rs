//! The machine the numbers were taken on, and whether it was quiet.

use std::fs;
use std::process::Command;
use std::time::Duration;

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
    /// The share of all CPU time (every core) that was not idle in the
    /// seconds just before measuring began: other programs' work. Unlike
    /// the load average it does not lag a minute behind, so a benchmark's
    /// own previous run does not count against the next one.
    #[serde(default)]
    pub(super) cpu_busy_before: Option<f64>,
    /// The day of the measurement, `YYYY-MM-DD` (UTC).
    pub(super) date: String,
}

impl Machine {
    pub(super) fn detect(python: Option<String>, quiet: Quiet) -> Machine {
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
            load_average: quiet.load_average,
            load_after: None,
            cpu_busy_before: quiet.cpu_busy,
            date: jiff::Timestamp::now().strftime("%Y-%m-%d").to_string(),
        }
    }
}

/// Above this 1-minute load average per core, the machine is busy: other
/// programs compete for the cores and the numbers are noise. Used only where
/// the CPU counters of [`cpu_busy`] are missing (and for old results).
pub(super) const BUSY_PER_CORE: f64 = 0.25;
/// Above this share of all CPU time spent outside idle in [`SAMPLE`], the
/// machine is busy.
pub(super) const BUSY_FRACTION: f64 = 0.10;
/// How long the CPU counters are watched before measuring.
pub(super) const SAMPLE: Duration = Duration::from_secs(5);
/// How long `bench` waits for a busy machine to become quiet.
pub(super) const QUIET_WAIT: Duration = Duration::from_secs(5 * 60);

/// How quiet the machine was just before measuring.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Quiet {
    pub(super) load_average: Option<f64>,
    pub(super) cpu_busy: Option<f64>,
}

impl Quiet {
    fn now() -> Quiet {
        Quiet {
            cpu_busy: cpu_busy(SAMPLE),
            load_average: load_average(),
        }
    }

    /// Busy by the CPU counters where there are some, else by the load.
    pub(super) fn is_busy(&self, cores: usize) -> bool {
        match (self.cpu_busy, self.load_average) {
            (Some(busy), _) => busy > BUSY_FRACTION,
            (None, Some(load)) => load > BUSY_PER_CORE * cores as f64,
            (None, None) => false,
        }
    }

    /// "the CPUs were 3 % busy" or "the load average was 0.40", for messages.
    pub(super) fn describe(&self, cores: usize) -> String {
        match (self.cpu_busy, self.load_average) {
            (Some(busy), _) => format!(
                "other programs kept the CPUs {:.0} % busy (quiet is below {:.0} %)",
                busy * 100.0,
                BUSY_FRACTION * 100.0
            ),
            (None, Some(load)) => format!(
                "the load average was {load:.2} (quiet is below {:.2})",
                BUSY_PER_CORE * cores as f64
            ),
            (None, None) => "the system reports no load".to_string(),
        }
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Waits (saying so) until the machine is quiet, up to [`QUIET_WAIT`];
/// returns how quiet it was when measurement starts. A machine still busy
/// after that is an error, unless `force`.
pub(super) fn wait_for_quiet(force: bool) -> Result<Quiet, String> {
    let start = std::time::Instant::now();
    loop {
        let quiet = Quiet::now();
        if !quiet.is_busy(cores()) {
            return Ok(quiet);
        }
        let what = quiet.describe(cores());
        if force {
            eprintln!(
                "bench: WARNING: the machine is busy ({what}); measuring anyway (--force), \
                 and the page will say so"
            );
            return Ok(quiet);
        }
        let waited = start.elapsed();
        if waited >= QUIET_WAIT {
            return Err(format!(
                "the machine stayed busy for {} minutes ({what}): numbers taken now would \
                 measure the other programs too. Run it again when the machine is quiet, or \
                 add --force to measure anyway (the results page then carries a warning).",
                QUIET_WAIT.as_secs() / 60
            ));
        }
        eprintln!(
            "bench: the machine is busy ({what}); waiting, {} s more at most; --force \
             measures anyway",
            (QUIET_WAIT - waited).as_secs()
        );
        std::thread::sleep(Duration::from_secs(10));
    }
}

/// The share of all CPU time, every core together, that was not idle over
/// `window` (from the kernel's counters in `/proc/stat`).
pub(super) fn cpu_busy(window: Duration) -> Option<f64> {
    let (total0, idle0) = cpu_times()?;
    std::thread::sleep(window);
    let (total1, idle1) = cpu_times()?;
    let total = total1.checked_sub(total0)?;
    let idle = idle1.checked_sub(idle0)?;
    (total > 0).then(|| (1.0 - idle as f64 / total as f64).clamp(0.0, 1.0))
}

/// (all time, idle time) in clock ticks, summed over every core: the first
/// line of `/proc/stat`, `cpu user nice system idle iowait irq softirq steal`.
fn cpu_times() -> Option<(u64, u64)> {
    let stat = fs::read_to_string("/proc/stat").ok()?;
    parse_cpu_times(stat.lines().next()?)
}

fn parse_cpu_times(line: &str) -> Option<(u64, u64)> {
    let mut fields = line.split_whitespace();
    if fields.next()? != "cpu" {
        return None;
    }
    let ticks: Vec<u64> = fields
        .take(8)
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    if ticks.len() < 5 {
        return None;
    }
    // idle and iowait both mean that no program wanted the core.
    Some((ticks.iter().sum(), ticks[3] + ticks[4]))
}

/// The 1-minute load average (`/proc/loadavg`), if the system reports one.
pub(super) fn load_average() -> Option<f64> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_line_gives_all_and_idle_ticks() {
        assert_eq!(
            parse_cpu_times("cpu  10 1 5 100 4 0 2 3 0 0"),
            Some((125, 104))
        );
        assert_eq!(parse_cpu_times("cpu0 10 1 5 100 4 0 2 3"), None);
        assert_eq!(parse_cpu_times("cpu  10 x"), None);
    }

    #[test]
    fn busy_is_judged_by_the_cpu_counters_first() {
        let quiet = Quiet {
            load_average: Some(3.0),
            cpu_busy: Some(0.02),
        };
        assert!(
            !quiet.is_busy(2),
            "a high load average left by an earlier run is not busy"
        );
        let busy = Quiet {
            load_average: Some(0.0),
            cpu_busy: Some(0.5),
        };
        assert!(busy.is_busy(2));
        let old = Quiet {
            load_average: Some(1.8),
            cpu_busy: None,
        };
        assert!(old.is_busy(2), "without counters the load average decides");
    }
}
