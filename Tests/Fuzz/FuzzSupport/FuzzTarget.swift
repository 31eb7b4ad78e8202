// FuzzSupport: the entry point every fuzz target shares: libFuzzer's driver, or the replay.
import Foundation

/// Runs a fuzz target's checks on inputs.
///
/// Built with `-sanitize=fuzzer -DFUZZING` (`make fuzz`), libFuzzer makes the inputs, guided by
/// coverage, from the corpus folders on the command line. SwiftPM makes an executable's own
/// `main` the program's entry, so that main starts libFuzzer's driver (`LLVMFuzzerRunDriver`)
/// rather than libFuzzer's `main`. Built normally, the named files and folders are replayed once
/// each (`CorpusReplay`), which the test suite does.
public enum FuzzTarget {
  /// Never returns: exits with libFuzzer's status, or the replay's.
  public static func main(_ body: @escaping ([UInt8]) -> Void) -> Never {
    #if FUZZING
      checks = body
      var argc = CommandLine.argc
      var argv = CommandLine.unsafeArgv
      exit(runDriver(&argc, &argv, fuzzerTestOneInput))
    #else
      CorpusReplay.run(body)
      exit(0)
    #endif
  }
}

#if FUZZING
  /// The target's checks; set once, before libFuzzer calls back, on the one thread it uses.
  nonisolated(unsafe) private var checks: ([UInt8]) -> Void = { _ in }

  /// What libFuzzer calls with each input it makes (its `main` needs the symbol linked too).
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    checks(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
  }

  @_silgen_name("LLVMFuzzerRunDriver")
  private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
  ) -> CInt
#endif
