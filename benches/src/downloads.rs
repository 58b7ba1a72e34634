//! Downloads case study: the same N downloads from a local server with a
//! delay per request, serially, on a thread pool, on rayon's CPU-sized
//! pool, on processes, and on one async thread.
//!
//! The server is the case study's own (`exercises/09-downloads/src/given.rs`,
//! included here as it is, so the benches build without `solutions/`); the
//! download of one file is exercise 1's, written out in its shortest form.
//! Every version returns how many files it saved whole, so a unit test (and
//! the bench's own check before timing) can see that nothing failed.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use rayon::prelude::*;

#[path = "../../exercises/09-downloads/src/given.rs"]
pub mod given;

pub use given::{Job, Server, ServerConfig};

/// The timeout of every client: far above any delay the benches use, so it
/// never fires unless something is broken.
pub const TIMEOUT: Duration = Duration::from_secs(30);

// ANCHOR: fetch
/// One blocking download (exercise 1): status checked, written to the
/// `.part` name, renamed when whole. `true` if the file was saved.
pub fn fetch(agent: &ureq::Agent, job: &Job) -> bool {
    let Ok(mut response) = agent.get(&job.url).call() else {
        return false;
    };
    if !response.status().is_success() {
        return false;
    }
    let part = given::part_path(&job.dest);
    let saved = File::create(&part)
        .ok()
        .is_some_and(|mut f| given::save_body(&mut response, &mut f).is_ok())
        && fs::rename(&part, &job.dest).is_ok();
    if !saved {
        let _ = fs::remove_file(&part);
    }
    saved
}
// ANCHOR_END: fetch

/// One file after another, one agent (one kept-alive connection).
pub fn serial(jobs: &[Job]) -> usize {
    let agent = given::agent(TIMEOUT);
    jobs.iter().filter(|job| fetch(&agent, job)).count()
}

// ANCHOR: threads
/// `workers` threads taking jobs from one queue (exercise 3); the agent
/// is shared, and keeps a connection per thread alive.
pub fn threads(jobs: &[Job], workers: usize) -> usize {
    let agent = given::agent(TIMEOUT);
    let queue = Mutex::new(jobs.iter());
    let saved = Mutex::new(0);
    thread::scope(|s| {
        for _ in 0..workers.max(1) {
            s.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some(job) = next else { break };
                    if fetch(&agent, job) {
                        *saved.lock().unwrap() += 1;
                    }
                }
            });
        }
    });
    saved.into_inner().unwrap()
}
// ANCHOR_END: threads

// ANCHOR: rayon
/// A rayon pool of `threads` threads (built by the caller), used as one
/// would for CPU work: `par_iter` over the jobs. Each of its threads blocks
/// in a download, so at most `threads` are in flight.
pub fn on_rayon(pool: &rayon::ThreadPool, jobs: &[Job]) -> usize {
    let agent = given::agent(TIMEOUT);
    pool.install(|| jobs.par_iter().filter(|job| fetch(&agent, job)).count())
}
// ANCHOR_END: rayon

// ANCHOR: processes
/// `workers` child processes of the `downloads-fetch` program (`fetcher`
/// is its path), each given an equal share of the jobs on its command
/// line; like Python's `Pool` with the `spawn` start method. Returns the
/// files saved, as the children report in their exit status.
pub fn processes(fetcher: &Path, jobs: &[Job], workers: usize) -> usize {
    let workers = workers.max(1);
    let mut children = Vec::with_capacity(workers);
    for w in 0..workers {
        let mut cmd = Command::new(fetcher);
        for job in jobs.iter().skip(w).step_by(workers) {
            cmd.arg(&job.url).arg(&job.dest);
        }
        children.push(cmd.spawn().expect("the fetcher program starts"));
    }
    let mut saved = 0;
    for (w, mut child) in children.into_iter().enumerate() {
        let share = jobs.iter().skip(w).step_by(workers).count();
        let status = child.wait().expect("the fetcher is waited for");
        if status.success() {
            saved += share;
        }
    }
    saved
}
// ANCHOR_END: processes

/// The fetcher program's body: downloads each (url, dest) pair of `args`
/// in turn; `true` if every file was saved.
pub fn fetch_pairs(args: &[String]) -> bool {
    let agent = given::agent(TIMEOUT);
    let jobs: Vec<Job> = args
        .chunks_exact(2)
        .map(|p| Job {
            url: p[0].clone(),
            dest: PathBuf::from(&p[1]),
        })
        .collect();
    args.len().is_multiple_of(2)
        && jobs.iter().filter(|job| fetch(&agent, job)).count() == jobs.len()
}

// ANCHOR: tokio
/// One current-thread tokio runtime, a task per job, at most `limit` in
/// flight (exercise 4, without the per-download timeout: the bench's
/// server always answers). Every download opens its own connection.
pub fn tokio_tasks(jobs: &[Job], limit: usize) -> usize {
    given::runtime().block_on(async {
        let permits = Arc::new(tokio::sync::Semaphore::new(limit.max(1)));
        let tasks: Vec<_> = jobs
            .iter()
            .cloned()
            .map(|job| {
                let permits = Arc::clone(&permits);
                tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await;
                    fetch_async(&job).await.is_some()
                })
            })
            .collect();
        let mut saved = 0;
        for task in tasks {
            if task.await.unwrap_or(false) {
                saved += 1;
            }
        }
        saved
    })
}

async fn fetch_async(job: &Job) -> Option<()> {
    let response = given::get(&job.url).await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    let body = given::body_bytes(response.into_body()).await.ok()?;
    let part = given::part_path(&job.dest);
    tokio::fs::write(&part, &body).await.ok()?;
    tokio::fs::rename(&part, &job.dest).await.ok()
}
// ANCHOR_END: tokio

/// A folder for one bench's files, removed when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        let path = std::env::temp_dir().join(format!(
            "workbook-bench-downloads-{tag}-{}",
            std::process::id()
        ));
        fs::create_dir_all(&path).expect("a scratch folder can be made");
        Scratch(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(files: usize) -> (Server, Scratch, Vec<Job>) {
        let server = Server::start(ServerConfig {
            files,
            size: 1000,
            ..ServerConfig::default()
        })
        .unwrap();
        let dir = Scratch::new(&format!("test-{files}"));
        let jobs = server.jobs(files, dir.path());
        (server, dir, jobs)
    }

    #[test]
    fn every_in_process_version_saves_every_file() {
        let (_server, dir, jobs) = setup(20);
        assert_eq!(serial(&jobs), 20);
        assert_eq!(threads(&jobs, 4), 20);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        assert_eq!(on_rayon(&pool, &jobs), 20);
        assert_eq!(tokio_tasks(&jobs, 8), 20);
        for i in 0..20 {
            let got = fs::read(dir.path().join(format!("file-{i}.bin"))).unwrap();
            assert_eq!(got, given::content(i, 1000));
        }
    }

    #[test]
    fn a_missing_file_is_not_counted() {
        let (server, dir, _) = setup(2);
        let jobs = server.jobs(3, dir.path());
        assert_eq!(serial(&jobs), 2);
        assert_eq!(tokio_tasks(&jobs, 2), 2);
        assert!(fetch_pairs(&[
            server.url(0),
            dir.path().join("a").display().to_string()
        ]));
        assert!(!fetch_pairs(&[
            server.url(5),
            dir.path().join("b").display().to_string()
        ]));
    }
}
