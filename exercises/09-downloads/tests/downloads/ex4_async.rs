use std::time::Duration;

use downloads::ex4_async::download_async;
use downloads::given::{Fault, ServerConfig};
use support::require;

use crate::{SIZE, TempDir, kinds, names_of, saved_whole, server, server_with};

const LONG: Duration = Duration::from_secs(2);

support::isolated_tests! {
    /// The server answers nothing until 4 requests are in flight at once:
    /// only 4 downloads running together on the one thread get an answer.
    fn limit_downloads_are_in_flight_at_once() {
        let server = server_with(ServerConfig { files: 8, size: SIZE, gate: Some(4), ..Default::default() });
        let dir = TempDir::create();
        support::step("downloading 8 files with limit 4 from a server that answers nothing \
            until 4 requests are in flight at once",
            "fewer than 4 requests ever reach the server together: is each download awaited \
             before the next one starts? An .await waits right there; to run futures side by \
             side, something must poll them all");
        let got = download_async(&server.jobs(8, dir.path()), 4, LONG);
        require!(kinds(&got) == ["ok"; 8],
            expected: "[\"ok\"; 8]",
            got: format!("{:?}", kinds(&got)),
            look_at: "download_async");
        let whole = (0..8).filter(|&i| saved_whole(dir.path(), i)).count();
        require!(whole == 8 && dir.names() == names_of(&[0, 1, 2, 3, 4, 5, 6, 7]),
            expected: "8 whole files and nothing else",
            got: format!("{whole} whole; the folder holds {:?}", dir.names()),
            look_at: "download_async: the write to the .part name and the rename");
    }

    /// File 1 never gets an answer: it is a timeout, and files 0 and 2
    /// are saved.
    fn a_stalled_download_times_out_and_the_others_complete() {
        let server = server(3, &[(1, Fault::Stall)]);
        let dir = TempDir::create();
        support::step("downloading 3 files, one from a server that never answers, with a \
            300 ms timeout",
            "a download that never ends holds everything up: what gives up on it after \
             `timeout`?");
        let got = download_async(&server.jobs(3, dir.path()), 3, Duration::from_millis(300));
        let want = ["ok", "timeout", "ok"];
        require!(kinds(&got) == want && dir.names() == names_of(&[0, 2]),
            expected: format!("{want:?}, and file-0.bin and file-2.bin only"),
            got: format!("{:?}; the folder holds {:?}", kinds(&got), dir.names()),
            look_at: "download_async: what does an expired timeout become?");
    }

    /// A 404, a 500, a reset and a truncated body: each reported, none of
    /// them leaving a file (final or .part), and the good file saved.
    fn bad_answers_are_failures_and_leave_nothing_behind() {
        let faults = [(0, Fault::NotFound), (1, Fault::ServerError), (2, Fault::Reset), (3, Fault::Truncated)];
        let server = server(5, &faults);
        let dir = TempDir::create();
        let got = download_async(&server.jobs(5, dir.path()), 5, LONG);
        let want = ["status 404", "status 500", "broken", "broken", "ok"];
        require!(kinds(&got) == want,
            expected: format!("{want:?}"),
            got: format!("{:?}", kinds(&got)),
            look_at: "download_async: the status check, and the errors of get and body_bytes");
        require!(dir.names() == names_of(&[4]),
            expected: "file-4.bin only: a failed download leaves no file, final or .part",
            got: format!("{:?}", dir.names()),
            look_at: "download_async: what is written before the body is complete, and what \
                      is removed after a failure?");
    }

    /// File 0 is answered only after every other file: the outcomes still
    /// come back in the order of the jobs.
    fn outcomes_keep_the_job_order_when_file_0_finishes_last() {
        let server = server(4, &[(0, Fault::Last), (2, Fault::NotFound)]);
        let dir = TempDir::create();
        support::step("downloading 4 files with limit 2; file 0 is answered last",
            "file 0 waits for files 1, 2 and 3: do other downloads run while it waits?");
        let got = download_async(&server.jobs(4, dir.path()), 2, LONG);
        let want = ["ok", "ok", "status 404", "ok"];
        require!(kinds(&got) == want,
            expected: format!("{want:?}, in the order of the jobs"),
            got: format!("{:?}", kinds(&got)),
            look_at: "download_async: how does each outcome find its place among the others?");
    }
}
