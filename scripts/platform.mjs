// The napi-rs platform suffix of this machine (`linux-x64-gnu`, `darwin-arm64`, …),
// matching the names the generated `index.js` loader looks for.
export function platformSuffix() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const report = process.report?.getReport?.();
    const glibc = report?.header?.glibcVersionRuntime;
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

export function libraryFileName() {
  if (process.platform === 'win32') return 'somonscript_node.dll';
  if (process.platform === 'darwin') return 'libsomonscript_node.dylib';
  return 'libsomonscript_node.so';
}
