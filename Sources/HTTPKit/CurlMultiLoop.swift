// The thread that drives every transfer of one HTTPClient through a curl multi handle.
//
// Why curl multi on one thread rather than a pool of easy handles on their own threads: a multi
// handle runs hundreds of transfers on one thread with one poll, keeps a shared connection cache
// (keep-alive reuse across requests) and a DNS cache, and lets a paused transfer cost nothing.
// A thread per transfer would cost a stack each and make reuse depend on which thread is free.
// Other threads talk to the loop only through `submit`, which queues a command and wakes the
// poll; all curl calls on the multi handle and on added easy handles happen on the loop thread.
internal import CCurl
import Foundation
import Synchronization

final class CurlMultiLoop: @unchecked Sendable {
  enum Command {
    case add(Transfer)
    case updatePause(Transfer)
    case cancel(Transfer)
  }

  private struct Inbox {
    var commands: [Command] = []
    var closed = false
  }

  private let multi: UnsafeMutableRawPointer
  private let inbox = Mutex(Inbox())
  /// Transfers added to the multi handle, by easy handle; the loop thread only.
  private var active: [UnsafeMutableRawPointer: Transfer] = [:]

  /// Creates the multi handle and starts its thread.
  ///
  /// Wraps `curl_multi_init`.
  init(configuration: HTTPClientConfiguration) throws {
    _ = curlGlobalInit
    guard let multi = curl_multi_init() else {
      throw HTTPError.transfer(url: "", code: -1, message: "curl_multi_init returned NULL")
    }
    self.multi = multi
    CCurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
    CCurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxCachedConnections)
    let thread = Thread { [self] in run() }
    thread.name = "cellar.http"
    thread.start()
  }

  /// Queues a command for the loop thread and wakes it.
  ///
  /// Wraps `curl_multi_wakeup`.
  func submit(_ command: Command) {
    let accepted = inbox.withLock { inbox in
      guard !inbox.closed else { return false }
      inbox.commands.append(command)
      return true
    }
    if accepted {
      curl_multi_wakeup(multi)
    } else if case .add(let transfer) = command {
      transfer.finish(.failure(CancellationError()))
    }
  }

  /// Cancels every transfer and stops the thread once they are removed.
  func shutdown() {
    inbox.withLock { $0.closed = true }
    curl_multi_wakeup(multi)
  }

  // MARK: - Loop thread

  private func run() {
    var running: Int32 = 0
    while true {
      let (commands, closed) = inbox.withLock { inbox in
        defer { inbox.commands.removeAll() }
        return (inbox.commands, inbox.closed)
      }
      for command in commands { handle(command) }
      if closed { break }
      curl_multi_perform(multi, &running)
      collectFinishedTransfers()
      curl_multi_poll(multi, nil, 0, 1000, nil)
    }
    for (easy, transfer) in active {
      curl_multi_remove_handle(multi, easy)
      transfer.finish(.failure(CancellationError()))
    }
    active.removeAll()
    curl_multi_cleanup(multi)
  }

  private func handle(_ command: Command) {
    switch command {
    case .add(let transfer):
      guard !transfer.isCancelled else {
        transfer.finish(.failure(CancellationError()))
        return
      }
      let code = curl_multi_add_handle(multi, transfer.easy.raw)
      guard code == CURLM_OK else {
        let message = String(cString: curl_multi_strerror(code))
        transfer.finish(.failure(HTTPError.transfer(url: transfer.url, code: Int(code.rawValue), message: message)))
        return
      }
      active[transfer.easy.raw] = transfer
    case .updatePause(let transfer):
      if active[transfer.easy.raw] != nil { transfer.applyPauseState() }
    case .cancel(let transfer):
      guard active.removeValue(forKey: transfer.easy.raw) != nil else { return }
      curl_multi_remove_handle(multi, transfer.easy.raw)
      transfer.finish(.failure(CancellationError()))
    }
  }

  /// Wraps `curl_multi_info_read`.
  private func collectFinishedTransfers() {
    var remaining: Int32 = 0
    while let message = curl_multi_info_read(multi, &remaining) {
      guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
      let code = message.pointee.data.result
      guard let transfer = active.removeValue(forKey: easy) else { continue }
      curl_multi_remove_handle(multi, easy)
      transfer.complete(code: code)
    }
  }
}
