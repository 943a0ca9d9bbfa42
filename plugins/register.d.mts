// `somonscript/register` has no exports: importing it (`node --import
// somonscript/register`) lets Node run `.som` files.
export {};
