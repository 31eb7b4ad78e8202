// FuzzSupport: what every fuzz target shares: the corpus replay its normal build runs.
import Foundation

/// Feeds every file named on the command line (or found in a folder named there) to a fuzz
/// target's `body`, as libFuzzer would, and says how many it fed.
///
/// A fuzz target built without `-sanitize=fuzzer` is this replay (built with it, libFuzzer's own
/// `main` runs instead): the test suite runs it over the checked-in corpus, so that an input that
/// once crashed a parser keeps being tried. `body` checks its own invariants (a failed
/// `precondition` stops the replay with the input named).
public enum CorpusReplay {
  /// Runs `body` on every input; exits 64 when no input was named.
  public static func run(_ body: ([UInt8]) -> Void) {
    let paths = CommandLine.arguments.dropFirst()
    guard !paths.isEmpty else {
      FileHandle.standardError.write(Data("usage: \(CommandLine.arguments[0]) FILE_OR_FOLDER...\n".utf8))
      exit(64)
    }
    var count = 0
    for path in paths {
      for file in files(at: path) {
        guard let data = FileManager.default.contents(atPath: file) else {
          FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
          exit(66)
        }
        FileHandle.standardError.write(Data("input \(file)\n".utf8))
        body([UInt8](data))
        count += 1
      }
    }
    print("\(count) inputs replayed")
  }

  private static func files(at path: String) -> [String] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
      return [path]
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.sorted().filter { !$0.hasPrefix(".") }.map { (path as NSString).appendingPathComponent($0) }
  }
}
