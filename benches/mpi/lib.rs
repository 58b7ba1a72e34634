//! The MPI chapter's benchmark lives in `benches/mpi.rs`; this library is
//! empty (a package needs a target besides its benches to be checked).
