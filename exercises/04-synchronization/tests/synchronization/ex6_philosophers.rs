// The philosophers use std's Mutex in both builds; the deadlock is forced
// by the tests, not searched for by loom.
#![cfg(not(feature = "model"))]

use std::sync::{Arc, Condvar, Mutex};

use synchronization::ex6_philosophers::dine;
use synchronization::given::{Seen, Table};

/// What the watcher saw: who reached, who passed the gate, which forks
/// each philosopher took.
struct Watch {
    /// The fork each philosopher reached for first.
    first_reach: Vec<Option<usize>>,
    /// Who holds each fork picked up as a first fork (nobody puts one down
    /// before the gate opens).
    holder: Vec<Option<usize>>,
    gated: Vec<bool>,
    took: Vec<Vec<usize>>,
}

impl Watch {
    /// Everybody holds a first fork, or reached for one that somebody holds
    /// (and so is blocked, or about to be).
    fn all_settled(&self) -> bool {
        (0..self.gated.len())
            .all(|p| self.gated[p] || self.first_reach[p].is_some_and(|f| self.holder[f].is_some()))
    }
}

/// A table whose watcher forces the worst moment: a philosopher who got a
/// first fork waits until *every* philosopher holds a first fork or waits
/// for one that somebody holds. With
/// "left, then right" each holds one fork when they all reach for a second,
/// so the stub deadlocks every time, not just when unlucky. With a global
/// order the last philosopher reaches for fork 0, blocks there, and the
/// others can finish.
fn gated_table(n: usize) -> (Table, Arc<(Mutex<Watch>, Condvar)>) {
    let shared = Arc::new((
        Mutex::new(Watch {
            first_reach: vec![None; n],
            holder: vec![None; n],
            gated: vec![false; n],
            took: vec![Vec::new(); n],
        }),
        Condvar::new(),
    ));
    let w = Arc::clone(&shared);
    let table = Table::new(n, move |seen| {
        let (lock, cv) = &*w;
        let mut watch = lock.lock().unwrap_or_else(|e| e.into_inner());
        match seen {
            Seen::Reaching { philosopher, fork } => {
                watch.first_reach[philosopher].get_or_insert(fork);
                cv.notify_all();
            }
            Seen::Took { philosopher, fork } => {
                watch.took[philosopher].push(fork);
                if !watch.gated[philosopher] {
                    watch.gated[philosopher] = true;
                    watch.holder[fork] = Some(philosopher);
                    cv.notify_all();
                    while !watch.all_settled() {
                        watch = cv.wait(watch).unwrap_or_else(|e| e.into_inner());
                    }
                }
            }
        }
    });
    (table, shared)
}

const STUCK: &str = "a deadlock from lock ordering: every philosopher holds one fork and waits for \
    the next one, held by a neighbour who waits too, round the table. (The test made every \
    philosopher pick up a first fork before anyone reaches for a second, so this happens every \
    time.) Look at dine (src/ex6_philosophers.rs): in which order does each philosopher \
    take its two forks? Is there an order in which such a ring of waiting can never close?";

fn eat_and_check(n: usize, meals: usize) {
    let (table, watch) = gated_table(n);
    support::step(
        &format!(
            "waiting for {n} philosophers to eat {meals} meals each, after all of them grabbed a first fork at once"
        ),
        STUCK,
    );
    let eaten = dine(&table, meals);
    support::require!(eaten == vec![meals; n],
        expected: format!("each of the {n} philosophers to eat {meals} meals"),
        got: format!("{eaten:?}"),
        look_at: "dine (src/ex6_philosophers.rs): one thread per philosopher, `meals` rounds \
                  each: what does it count and return?");
    let watch = watch.0.lock().unwrap();
    for (p, took) in watch.took.iter().enumerate() {
        let mut forks: Vec<usize> = took.clone();
        forks.sort_unstable();
        forks.dedup();
        let mut want = vec![p, (p + 1) % n];
        want.sort_unstable();
        support::require!(forks == want && took.len() == 2 * meals,
            expected: format!("philosopher {p} to take forks {want:?}, both for every meal ({} takes)", 2 * meals),
            got: format!("forks {forks:?}, {} takes", took.len()),
            look_at: "dine (src/ex6_philosophers.rs): philosopher i needs fork i and fork \
                      (i + 1) % n, taken through table.take; which forks does yours take?");
    }
}

support::isolated_tests! {
    fn five_philosophers_all_eat_though_all_grab_at_once() {
        eat_and_check(5, 50);
    }

    fn two_philosophers_all_eat_though_both_grab_at_once() {
        eat_and_check(2, 50);
    }
}
