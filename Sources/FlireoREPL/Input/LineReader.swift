#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// The thread that reads lines, so the Lua thread can keep driving the scheduler while
/// the user types (background tasks progress, completion is answered).
///
/// It reads only when asked: between requests the terminal is back in its normal mode,
/// so Ctrl-C raises SIGINT and interrupts the running command.
final class LineReader: Sendable {
    enum Request: Sendable {
        /// Read one line; `reply` is called on the reader thread.
        case read(prompt: String, reply: @Sendable (LineInput) -> Void)
        /// Remember an entry for recall, and append it to the history file; `written` is
        /// signalled after.
        case record([UInt8], written: DispatchSemaphore?)
        /// Drop what is left of a multi-line paste.
        case discardPaste
        case discardTypedAhead
        /// Signal when every request before it is done.
        case barrier(DispatchSemaphore)
        /// Release the source and end the thread.
        case stop
    }

    private let requests = Mutex<[Request]>([])
    private let pending = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts the thread.
    /// - Parameters:
    ///   - history: the history file that recorded entries are appended to, if any.
    ///   - makeSource: creates the line source, on the reader thread.
    init(history: HistoryFile?, makeSource: @escaping @Sendable () -> any LineSource) {
        let start = ThreadStart { [self] in
            // Signals go to the Lua thread: a blocked poll or read here stays undisturbed.
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGINT)
            sigaddset(&blocked, SIGWINCH)
            pthread_sigmask(SIG_BLOCK, &blocked, nil)
            serve(makeSource(), history: history)
            stopped.signal()
        }
        var thread = pthread_t()
        let box = Unmanaged.passRetained(start).toOpaque()
        if pthread_create(&thread, nil, runThreadStart, box) == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<ThreadStart>.fromOpaque(box).release()
            stopped.signal()
        }
    }

    /// Queues a request.
    func send(_ request: Request) {
        requests.withLock { $0.append(request) }
        pending.signal()
    }

    /// Waits (a second at most) until the requests sent so far are done: the history
    /// recorded before the process ends.
    func flush() {
        let reached = DispatchSemaphore(value: 0)
        send(.barrier(reached))
        _ = reached.wait(timeout: .now() + .seconds(1))
    }

    /// Ends the thread, waiting briefly for it to restore the terminal.
    func stop() {
        send(.stop)
        _ = stopped.wait(timeout: .now() + .seconds(2))
    }

    private func serve(_ source: any LineSource, history: HistoryFile?) {
        var warned = false
        while true {
            pending.wait()
            let batch = requests.withLock { queue in
                let taken = queue
                queue.removeAll()
                return taken
            }
            for request in batch {
                switch request {
                case .read(let prompt, let reply):
                    reply(source.readLine(prompt: prompt))
                case .record(let entry, let written):
                    defer { written?.signal() }
                    source.remember(entry)
                    do throws(HistoryFile.WriteError) {
                        try history?.append(entry)
                    } catch where !warned {
                        warned = true
                        Console.error("flireo: history not saved: \(error.message)\n")
                    } catch {}
                case .discardPaste:
                    source.discardPaste()
                case .discardTypedAhead:
                    source.discardTypedAhead()
                case .barrier(let reached):
                    reached.signal()
                case .stop:
                    return
                }
            }
        }
    }
}

/// The body of a new thread, passed through `pthread_create`'s argument.
private final class ThreadStart {
    let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
    }
}

private func runThreadStart(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let argument else { return nil }
    Unmanaged<ThreadStart>.fromOpaque(argument).takeRetainedValue().body()
    return nil
}
