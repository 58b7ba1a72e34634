use downloads::ex2_retry::{download_serial, download_with_retry, worth_retrying};
use downloads::given::{DownloadError, Fault};
use support::require;

use crate::{TempDir, agent, kind, kinds, names_of, saved_whole, server};

support::isolated_tests! {
    /// Server errors, timeouts and broken transfers may pass; a 4xx and a
    /// failed save will not.
    fn worth_retrying_tells_passing_failures_from_lasting_ones() {
        let cases = [
            (DownloadError::Status(500), true),
            (DownloadError::Status(503), true),
            (DownloadError::Timeout, true),
            (DownloadError::Broken("reset".into()), true),
            (DownloadError::Status(404), false),
            (DownloadError::Status(403), false),
            (DownloadError::Save("disk full".into()), false),
        ];
        for (error, want) in cases {
            let got = worth_retrying(&error);
            require!(got == want,
                expected: format!("worth_retrying({error:?}) == {want}"),
                got: format!("{got}"),
                look_at: "worth_retrying: would asking again change the answer to this error?");
        }
    }

    /// Five good files, one after another: five outcomes in order, five
    /// whole files.
    fn every_file_is_saved_and_reported_in_order() {
        let server = server(5, &[]);
        let dir = TempDir::create();
        let got = download_serial(&agent(), &server.jobs(5, dir.path()), 2);
        require!(kinds(&got) == ["ok"; 5],
            expected: "[\"ok\"; 5]",
            got: format!("{:?}", kinds(&got)),
            look_at: "download_serial: one outcome per job, in order");
        let whole = (0..5).filter(|&i| saved_whole(dir.path(), i)).count();
        require!(whole == 5 && dir.names() == names_of(&[0, 1, 2, 3, 4]),
            expected: "file-0.bin .. file-4.bin, whole, and nothing else",
            got: format!("{whole} whole files; the folder holds {:?}", dir.names()),
            look_at: "download_serial");
    }

    /// A 404 on file 1 and a reset on file 3: both reported, and files
    /// 0, 2 and 4 still downloaded.
    fn a_failed_file_does_not_stop_the_others() {
        let server = server(5, &[(1, Fault::NotFound), (3, Fault::Reset)]);
        let dir = TempDir::create();
        let got = download_serial(&agent(), &server.jobs(5, dir.path()), 2);
        let want = ["ok", "status 404", "ok", "broken", "ok"];
        require!(kinds(&got) == want,
            expected: format!("{want:?}"),
            got: format!("{:?}; the folder holds {:?}. The files after a failed one were not \
                all downloaded, or not all reported", kinds(&got), dir.names()),
            look_at: "download_serial: what does one job's error do to the jobs after it?");
        require!(dir.names() == names_of(&[0, 2, 4]),
            expected: "file-0.bin, file-2.bin and file-4.bin only",
            got: format!("{:?}", dir.names()),
            look_at: "download_serial");
    }

    /// File 0 fails twice with a 500, then is served: three attempts get it.
    fn a_passing_failure_is_retried_until_it_succeeds() {
        let server = server(1, &[(0, Fault::FailFirst(2))]);
        let dir = TempDir::create();
        let got = download_with_retry(&agent(), &server.jobs(1, dir.path())[0], 3);
        let asked = server.requests_for(0);
        require!(kind(&got) == "ok" && asked == 3 && saved_whole(dir.path(), 0),
            expected: "ok after 3 requests (500, 500, then the file), and the file saved",
            got: format!("{} after {asked} request(s); the folder holds {:?}", kind(&got), dir.names()),
            look_at: "download_with_retry: is a 500 tried again, and how many times?");
    }

    /// A 404 will not pass by asking again: one request, whatever the
    /// number of attempts allowed.
    fn a_404_is_asked_for_once() {
        let server = server(1, &[(0, Fault::NotFound)]);
        let dir = TempDir::create();
        let got = download_with_retry(&agent(), &server.jobs(1, dir.path())[0], 3);
        let asked = server.requests_for(0);
        require!(kind(&got) == "status 404" && asked == 1,
            expected: "Err(Status(404)) after exactly 1 request",
            got: format!("{} after {asked} requests: a missing file was asked for again", kind(&got)),
            look_at: "worth_retrying and download_with_retry: which errors are worth another try?");
    }

    /// A server that always answers 500 is asked exactly `attempts` times,
    /// and the last error is reported.
    fn a_lasting_server_error_is_tried_exactly_attempts_times() {
        let server = server(1, &[(0, Fault::ServerError)]);
        let dir = TempDir::create();
        let got = download_with_retry(&agent(), &server.jobs(1, dir.path())[0], 3);
        let asked = server.requests_for(0);
        require!(kind(&got) == "status 500" && asked == 3,
            expected: "Err(Status(500)) after exactly 3 requests (attempts = 3)",
            got: format!("{} after {asked} requests", kind(&got)),
            look_at: "download_with_retry: count the first try as one of the attempts");
        let once = download_with_retry(&agent(), &server.jobs(1, dir.path())[0], 1);
        let asked = server.requests_for(0) - 3;
        require!(kind(&once) == "status 500" && asked == 1,
            expected: "with attempts = 1: one request, no retry",
            got: format!("{} after {asked} requests", kind(&once)),
            look_at: "download_with_retry: count the first try as one of the attempts");
    }
}
