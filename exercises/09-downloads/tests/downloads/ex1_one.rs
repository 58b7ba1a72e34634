use std::time::Duration;

use downloads::ex1_one::download;
use downloads::given::{self, DownloadError, Fault};
use support::require;

use crate::{SIZE, TempDir, agent, kind, names_of, saved_whole, server};

support::isolated_tests! {
    /// A good file is saved whole, under its own name, and nothing else is
    /// left in the folder.
    fn a_file_is_saved_whole_under_its_name() {
        let server = server(3, &[]);
        let dir = TempDir::create();
        let jobs = server.jobs(3, dir.path());
        support::step("downloading one file", "the download never returns: is the body read to its end?");
        let got = download(&agent(), &jobs[1]);
        require!(matches!(got, Ok(n) if n == SIZE as u64),
            expected: format!("Ok({SIZE}), the bytes saved"),
            got: format!("{got:?}"),
            look_at: "download: what it returns once the file is saved");
        require!(saved_whole(dir.path(), 1),
            expected: "file-1.bin holding exactly the bytes the server sent",
            got: format!("the folder holds {:?}", dir.names()),
            look_at: "download: the rename from the .part name to job.dest");
        require!(dir.names() == names_of(&[1]),
            expected: "only file-1.bin in the folder",
            got: format!("{:?}", dir.names()),
            look_at: "download: is the .part file renamed, not copied?");
    }

    /// A 404 is an error carrying the status, and nothing is saved: the
    /// tutorial's version saves the error page as if it were the file.
    fn a_404_is_an_error_and_saves_nothing() {
        let server = server(1, &[(0, Fault::NotFound)]);
        let dir = TempDir::create();
        let got = download(&agent(), &server.jobs(1, dir.path())[0]);
        require!(matches!(got, Err(DownloadError::Status(404))),
            expected: "Err(Status(404))",
            got: format!("{} ({got:?}); the folder holds {:?}: the error page was saved as if \
                it were the file", kind(&got), dir.names()),
            look_at: "download: what does the response's status say before the body is saved?");
        require!(dir.names().is_empty(),
            expected: "an empty folder after a 404",
            got: format!("{:?}", dir.names()),
            look_at: "download: is anything created before the status is checked?");
    }

    /// A 500 is an error carrying the status, and nothing is saved.
    fn a_500_is_an_error_and_saves_nothing() {
        let server = server(1, &[(0, Fault::ServerError)]);
        let dir = TempDir::create();
        let got = download(&agent(), &server.jobs(1, dir.path())[0]);
        require!(matches!(got, Err(DownloadError::Status(500))) && dir.names().is_empty(),
            expected: "Err(Status(500)) and an empty folder",
            got: format!("{} ({got:?}); the folder holds {:?}", kind(&got), dir.names()),
            look_at: "download: which statuses mean the body is the file?");
    }

    /// A connection reset instead of an answer is an error, and nothing
    /// is saved.
    fn a_reset_connection_is_an_error_and_saves_nothing() {
        let server = server(1, &[(0, Fault::Reset)]);
        let dir = TempDir::create();
        let got = download(&agent(), &server.jobs(1, dir.path())[0]);
        require!(matches!(got, Err(DownloadError::Broken(_))) && dir.names().is_empty(),
            expected: "Err(Broken(..)) and an empty folder",
            got: format!("{} ({got:?}); the folder holds {:?}", kind(&got), dir.names()),
            look_at: "download: is the error of the call returned as it is?");
    }

    /// The server announces the whole file and sends half: an error, no
    /// file under the final name, and no `.part` file left either.
    fn a_truncated_body_leaves_nothing_behind() {
        let server = server(1, &[(0, Fault::Truncated)]);
        let dir = TempDir::create();
        let job = &server.jobs(1, dir.path())[0];
        let got = download(&agent(), job);
        require!(matches!(got, Err(DownloadError::Broken(_))),
            expected: "Err(Broken(..)) for a body that stops halfway",
            got: format!("{} ({got:?})", kind(&got)),
            look_at: "download: is save_body's error passed on?");
        require!(!job.dest.exists(),
            expected: "no file-0.bin: the transfer broke halfway",
            got: format!("a partial file under its final name ({} of {SIZE} bytes); anyone \
                looking for file-0.bin now takes half a file for the whole",
                std::fs::metadata(&job.dest).map(|m| m.len()).unwrap_or(0)),
            look_at: "download: which name is the body written under while it is incomplete?");
        require!(!given::part_path(&job.dest).exists(),
            expected: "no file-0.bin.part left after the failed download",
            got: format!("the part file is left in the folder: {:?}", dir.names()),
            look_at: "download: what happens to the .part file when saving fails?");
    }

    /// A server that never answers: the call gives up at the agent's
    /// timeout and says so; it does not hang.
    fn a_stalled_server_is_a_timeout_not_a_hang() {
        let server = server(1, &[(0, Fault::Stall)]);
        let dir = TempDir::create();
        let agent = given::agent(Duration::from_millis(300));
        support::step("downloading from a server that never answers, with a 300 ms timeout",
            "the download waits forever: is the agent passed in used for the request?");
        let got = download(&agent, &server.jobs(1, dir.path())[0]);
        require!(matches!(got, Err(DownloadError::Timeout)) && dir.names().is_empty(),
            expected: "Err(Timeout) and an empty folder",
            got: format!("{} ({got:?}); the folder holds {:?}", kind(&got), dir.names()),
            look_at: "download: how is the agent's error turned into a DownloadError?");
    }
}
