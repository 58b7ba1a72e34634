//! Exercise 4 solution: a fixed thread pool over a channel, a handle per job.

use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, JoinHandle};

use crate::given::panic_message;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A job panicked; `message` is what it passed to `panic!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPanicked {
    pub message: String,
}

impl fmt::Display for JobPanicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the job panicked: {}", self.message)
    }
}

// ANCHOR: solution
pub struct ThreadPool {
    sender: Option<mpsc::Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

pub struct JobHandle<R> {
    result: mpsc::Receiver<thread::Result<R>>,
}

impl ThreadPool {
    pub fn new(size: usize) -> ThreadPool {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..size.max(1))
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                thread::spawn(move || {
                    loop {
                        // The guard is dropped at the end of this statement:
                        // the lock is not held while the job runs.
                        let job = receiver.lock().unwrap().recv();
                        match job {
                            Ok(job) => job(),
                            // Every sender is gone: the pool is shutting down.
                            Err(_) => break,
                        }
                    }
                })
            })
            .collect();
        ThreadPool {
            sender: Some(sender),
            workers,
        }
    }

    pub fn size(&self) -> usize {
        self.workers.len()
    }

    pub fn submit<R, F>(&self, job: F) -> JobHandle<R>
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        let (tx, rx) = mpsc::channel();
        let wrapped: Job = Box::new(move || {
            // The panic stops here, inside the job: the worker thread lives
            // on, and the submitter gets the panic as its result.
            let result = panic::catch_unwind(AssertUnwindSafe(job));
            let _ = tx.send(result);
        });
        self.sender
            .as_ref()
            .expect("the sender lives until drop")
            .send(wrapped)
            .expect("the workers live until drop");
        JobHandle { result: rx }
    }
}

impl<R> JobHandle<R> {
    pub fn wait(self) -> Result<R, JobPanicked> {
        match self.result.recv() {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(payload)) => Err(JobPanicked {
                message: panic_message(&*payload),
            }),
            Err(_) => Err(JobPanicked {
                message: "the job's worker died before it sent a result".into(),
            }),
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        // Closing the channel lets every worker finish the queued jobs,
        // then see `Err` from `recv` and return.
        drop(self.sender.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}
// ANCHOR_END: solution
