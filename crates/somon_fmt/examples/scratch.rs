use std::io::Read;
fn main() {
    let mut s = String::new();
    let _ = std::io::stdin().read_to_string(&mut s);
    match somon_fmt::format(&s, &somon_fmt::FormatOptions::default()) {
        Ok(t) => print!("{t}"),
        Err(d) => eprintln!("{d:?}"),
    }
}
