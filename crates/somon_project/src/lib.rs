//! SomonScript projects: module resolution, the module graph and bundling.

pub mod bundle;
pub mod fs;
pub mod graph;
pub mod resolve;

pub use resolve::{is_builtin, ResolveError, Resolved, Resolver, ResolverConfig};

pub use bundle::{bundle, BundleOutput, BundleRequest, CircularPolicy};
pub use somon_emit::bundle::BundleFormat;
