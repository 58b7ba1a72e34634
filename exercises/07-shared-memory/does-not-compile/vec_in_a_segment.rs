// A Vec is a pointer, a length and a capacity; the pointer leads into
// this process's heap, which no other process can see. Segment::write
// only takes plain data (T: Pod), so this does not compile:
use shared_memory::ex2_segment::Segment;

fn main() {
    let name = shared_memory::given::unique_name("vec");
    let seg = Segment::create(&name, 64).unwrap();
    let numbers: Vec<u64> = vec![1, 2, 3];
    seg.write(0, &numbers).unwrap(); // error[E0277]: Vec<u64>: Pod is not satisfied
}
