//! Exercise 4: a lock shared by processes (`src/ex4_robust_mutex.rs`).

use std::sync::atomic::Ordering;

use shared_memory::ex1_counter::map_shared;
use shared_memory::ex4_robust_mutex::RobustMutex;
use shared_memory::given::{fork_child, run_in_children};
use support::require;

/// A child takes the lock, writes 5 under it, says so through `flag`,
/// and waits to be killed; the parent kills it while it holds the lock.
/// Returns the lock (in `region`) whose holder died.
fn kill_the_holder(region: &shared_memory::given::Region) -> &RobustMutex<u64> {
    let flags = map_shared(8).expect("map_shared(8)");
    let m = RobustMutex::init_in(region, 0u64).expect("init_in");
    let child = fork_child(|| {
        let mut g = m.lock().expect("lock in the child");
        *g = 5;
        flags.atomics()[0].store(1, Ordering::Release);
        loop {
            // SAFETY: pause only waits for a signal (here, SIGKILL).
            unsafe { libc::pause() };
        }
    })
    .expect("fork");
    support::step(
        "waiting for the child to take the lock",
        "RobustMutex::lock never returns in the child",
    );
    while flags.atomics()[0].load(Ordering::Acquire) == 0 {
        std::thread::yield_now();
    }
    child.kill_and_reap();
    m
}

const DEAD: &str = "the lock's holder was killed while holding it, so nobody will ever unlock it: \
                    can your lock tell that its owner died?";

support::isolated_tests! {
    fn processes_add_under_the_lock_exactly() within 30 s {
        let region = map_shared(4096).expect("map_shared(4096)");
        let m = RobustMutex::init_in(&region, 0u64).expect("init_in");
        support::step("4 processes adding 1 under the lock 20,000 times each",
            "a process waits for a lock that was released: is the lock process-shared? \
             A lock whose waiters sleep on a process-private futex is never woken by an unlock \
             in another process");
        run_in_children(4, |_| {
            for _ in 0..20_000 {
                let mut g = m.lock().expect("lock");
                let v = *g;
                *g = v + 1;
            }
        })
        .expect("every child should count and exit 0");
        let mut g = m.lock().expect("lock in the parent");
        let total = *g;
        let needless = g.make_consistent();
        require!(needless.is_err(),
            expected: "make_consistent on a lock whose owner did NOT die to be an error (EINVAL)",
            got: "Ok(())",
            look_at: "Guard::make_consistent: pass on what pthread_mutex_consistent returns");
        require!(total == 80_000,
            expected: "80000 after 4 processes x 20,000 locked increments",
            got: format!("{total}"),
            look_at: "RobustMutex::lock: does it really keep a second process out until the first unlocks?");
    }

    fn a_lock_whose_holder_was_killed_says_the_owner_died() within 10 s {
        let region = map_shared(4096).expect("map_shared(4096)");
        let m = kill_the_holder(&region);
        support::step("locking a mutex whose holder was killed", DEAD);
        let mut g = m.lock().expect("lock after the holder died");
        require!(g.owner_died() && *g == 5,
            expected: "the guard to report that the owner died, and the value it left (5)",
            got: format!("owner_died() = {}, value {}", g.owner_died(), *g),
            look_at: "RobustMutex::lock: which error code does pthread_mutex_lock return then, \
                      and what should the caller be told?");
        g.make_consistent().expect("make_consistent");
        require!(!g.owner_died(),
            expected: "owner_died() to be false once the value is declared repaired",
            got: "true",
            look_at: "Guard::make_consistent");
        *g = 6;
        drop(g);
        let again = m.lock().expect("lock after recovery");
        require!(!again.owner_died() && *again == 6,
            expected: "after make_consistent, a plain lock holding 6",
            got: format!("owner_died() = {}, value {}", again.owner_died(), *again),
            look_at: "Guard::make_consistent and RobustMutex::lock");
    }

    fn an_unrepaired_lock_stays_broken() within 10 s {
        let region = map_shared(4096).expect("map_shared(4096)");
        let m = kill_the_holder(&region);
        support::step("locking a mutex whose holder was killed", DEAD);
        let g = m.lock().expect("first lock after the holder died");
        require!(g.owner_died(),
            expected: "the first lock after the death to report it",
            got: "owner_died() = false",
            look_at: "RobustMutex::lock");
        drop(g); // without make_consistent
        let next = m.lock();
        let code = next.as_ref().err().and_then(|e| e.raw_os_error());
        require!(code == Some(libc::ENOTRECOVERABLE),
            expected: "the next lock to fail with ENOTRECOVERABLE: nobody repaired the value",
            got: format!("{:?}", next.as_ref().map(|g| **g)),
            look_at: "RobustMutex::lock: pass on the error pthread_mutex_lock returns");
    }

    fn a_region_too_small_is_an_error() {
        let region = map_shared(8).expect("map_shared(8)");
        let got = RobustMutex::init_in(&region, 0u64).map(|_| ());
        require!(matches!(&got, Err(e) if e.kind() == std::io::ErrorKind::InvalidInput),
            expected: "init_in on an 8-byte region to fail with InvalidInput",
            got: format!("{got:?}"),
            look_at: "RobustMutex::init_in: does the mutex fit in the region?");
        let exact = map_shared(size_of::<RobustMutex<u64>>()).expect("map_shared");
        let fits = RobustMutex::init_in(&exact, 0u64).map(|_| ());
        require!(fits.is_ok(),
            expected: "init_in on a region exactly as big as the mutex to work",
            got: format!("{fits:?}"),
            look_at: "RobustMutex::init_in: the size check");
    }
}
