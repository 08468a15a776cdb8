import FoundationEssentials
import Glibc

/// Words for an error from the file system, for messages: `No such file or directory (/srv/state)`.
///
/// FoundationEssentials' errors print as their structure (`CocoaError(code: …, userInfo: …)`); the system's own
/// message and the path say what a user needs.
public func systemErrorText(_ error: any Error) -> String {
    if let cocoa = error as? CocoaError {
        let reason = (cocoa.underlying as? POSIXError).map { String(cString: strerror($0.code.rawValue)) } ?? "error \(cocoa.code.rawValue)"
        return cocoa.filePath.map { "\(reason) (\($0))" } ?? reason
    }
    if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
    return String(describing: error)
}
