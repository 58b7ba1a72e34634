//! Exercise 4: async, one thread and many downloads in flight.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::given::{self, DownloadError, Job, Outcome};

// ANCHOR: solution
pub fn download_async(jobs: &[Job], limit: usize, timeout: Duration) -> Vec<Outcome> {
    given::runtime().block_on(async {
        let permits = Arc::new(Semaphore::new(limit.max(1)));
        let mut outcomes = Vec::with_capacity(jobs.len());
        for job in jobs {
            // Held until this download is over: at most `limit` run.
            let _permit = permits.acquire().await;
            outcomes.push(one(job, timeout).await);
        }
        outcomes
    })
}

async fn one(job: &Job, timeout: Duration) -> Outcome {
    let part = given::part_path(&job.dest);
    let outcome = match tokio::time::timeout(timeout, fetch(job, &part)).await {
        Ok(outcome) => outcome,
        Err(_elapsed) => Err(DownloadError::Timeout),
    };
    if outcome.is_err() {
        let _ = tokio::fs::remove_file(&part).await;
    }
    outcome
}

async fn fetch(job: &Job, part: &Path) -> Outcome {
    let response = given::get(&job.url).await?;
    if !response.status().is_success() {
        return Err(DownloadError::Status(response.status().as_u16()));
    }
    let body = given::body_bytes(response.into_body()).await?;
    let save = |e: std::io::Error| DownloadError::Save(e.to_string());
    tokio::fs::write(part, &body).await.map_err(save)?;
    tokio::fs::rename(part, &job.dest).await.map_err(save)?;
    Ok(body.len() as u64)
}
// ANCHOR_END: solution
