use downloads::ex3_threads::download_threads;
use downloads::given::{Fault, ServerConfig};
use support::require;

use crate::{SIZE, TempDir, agent, kinds, names_of, saved_whole, server, server_with};

const SERIAL: &str = "fewer downloads than workers ever reach the server at once: do the \
    workers download at the same time, or does each start only when the one before has \
    finished?";

support::isolated_tests! {
    /// The server answers nothing until 3 requests are in flight at once:
    /// only 3 workers downloading together get an answer.
    fn workers_downloads_are_in_flight_at_once() {
        let server = server_with(ServerConfig { files: 6, size: SIZE, gate: Some(3), ..Default::default() });
        let dir = TempDir::create();
        support::step("downloading 6 files with 3 workers from a server that answers nothing \
            until 3 requests are in flight at once", SERIAL);
        let got = download_threads(&agent(), &server.jobs(6, dir.path()), 3, 1);
        require!(kinds(&got) == ["ok"; 6],
            expected: "[\"ok\"; 6]",
            got: format!("{:?} (at most {} in flight at once). {SERIAL}", kinds(&got), server.max_in_flight()),
            look_at: "download_threads: when does each worker start?");
        let whole = (0..6).filter(|&i| saved_whole(dir.path(), i)).count();
        require!(whole == 6,
            expected: "6 whole files",
            got: format!("{whole}; the folder holds {:?}", dir.names()),
            look_at: "download_threads: does every job reach download_with_retry?");
    }

    /// File 0 is answered only after every other file: the outcomes still
    /// come back in the order of the jobs.
    fn outcomes_keep_the_job_order_when_file_0_finishes_last() {
        let server = server(4, &[(0, Fault::Last), (2, Fault::NotFound)]);
        let dir = TempDir::create();
        support::step("downloading 4 files with 2 workers; file 0 is answered last",
            "file 0 waits for files 1, 2 and 3: is a second worker downloading while the \
             first waits?");
        let got = download_threads(&agent(), &server.jobs(4, dir.path()), 2, 1);
        let want = ["ok", "ok", "status 404", "ok"];
        require!(kinds(&got) == want,
            expected: format!("{want:?}, in the order of the jobs"),
            got: format!("{:?}: the outcomes are in the order the downloads finished", kinds(&got)),
            look_at: "download_threads: how does each outcome find its place among the others?");
    }

    /// A truncated file and a 500 among six: reported, with no partial or
    /// part file left, and the other four saved whole.
    fn failed_files_leave_nothing_and_the_others_complete() {
        let server = server(6, &[(1, Fault::Truncated), (4, Fault::ServerError)]);
        let dir = TempDir::create();
        let got = download_threads(&agent(), &server.jobs(6, dir.path()), 3, 2);
        let want = ["ok", "broken", "ok", "ok", "status 500", "ok"];
        require!(kinds(&got) == want && dir.names() == names_of(&[0, 2, 3, 5]),
            expected: format!("{want:?}, and file-0, 2, 3 and 5.bin only in the folder"),
            got: format!("{:?}; the folder holds {:?}", kinds(&got), dir.names()),
            look_at: "download_threads: one outcome per job, whatever happened to the others");
        require!(server.requests_for(1) == 2 && server.requests_for(4) == 2,
            expected: "files 1 and 4 asked for twice each (attempts = 2)",
            got: format!("{} and {} requests", server.requests_for(1), server.requests_for(4)),
            look_at: "download_threads: is `attempts` passed on to download_with_retry?");
    }

    /// One worker, or zero (taken as one), still downloads everything.
    fn one_worker_and_zero_workers_download_everything() {
        let server = server(3, &[]);
        for workers in [1, 0] {
            let dir = TempDir::create();
            support::step(&format!("downloading 3 files with workers = {workers}"),
                "nothing comes back: with 0 workers, does any thread start?");
            let got = download_threads(&agent(), &server.jobs(3, dir.path()), workers, 1);
            require!(kinds(&got) == ["ok"; 3],
                expected: format!("[\"ok\"; 3] with workers = {workers}"),
                got: format!("{:?}", kinds(&got)),
                look_at: "download_threads: how many threads start for workers = 0?");
        }
    }
}
