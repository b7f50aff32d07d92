//! The default theme and the `dossier new` skeleton are embedded in the binary: rebuild it
//! when their files change (include_dir does not tell cargo by itself).

fn main() {
    println!("cargo:rerun-if-changed=themes/briefing");
    println!("cargo:rerun-if-changed=skeleton");
}
