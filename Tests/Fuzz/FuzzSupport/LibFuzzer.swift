// FuzzSupport: libFuzzer's driver, started from a target's own main.
import Foundation

#if FUZZING
  @_silgen_name("LLVMFuzzerRunDriver")
  private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
  ) -> CInt

  /// Runs libFuzzer (linked by `-sanitize=fuzzer`) on the command line's options and corpus.
  ///
  /// `callback` takes each input. SwiftPM makes an executable's own `main` the program's entry, so the target's main
  /// starts the driver instead of libFuzzer's `main`.
  public enum LibFuzzer {
    /// Never returns: exits with libFuzzer's status.
    public static func run(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
      var argc = CommandLine.argc
      var argv = CommandLine.unsafeArgv
      exit(runDriver(&argc, &argv, callback))
    }
  }
#endif
