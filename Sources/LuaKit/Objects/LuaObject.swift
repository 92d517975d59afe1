import CLua
import CLuaBridge

/// A Swift object that Lua sees as a userdata with methods.
///
/// Each conforming type gets one metatable named `luaTypeName` (dotted, e.g.
/// `flireo.Assistant`) with `__name`, `__index` (methods, then `luaField`),
/// `__tostring`, `__eq` and a `__gc` that releases the object and clears the
/// metatable, so a stale object errors instead of crashing.
public protocol LuaObject: AnyObject, Sendable {
    /// The metatable's name, shown in messages: `flireo.Assistant`.
    static var luaTypeName: String { get }
    /// The methods, by name (built once, when the type is first registered).
    static var luaMethods: [String: LuaMethod<Self>] { get }
    /// A field read as `object.name` when no method has that name.
    func luaField(_ name: String) -> LuaValue?
    /// The names `luaField` answers, for completion (the metatable's `__fields`).
    static var luaFieldNames: [String] { get }
    /// What `tostring(object)` returns.
    var luaDescription: String { get }
    /// `==` between two objects of this type.
    func luaEquals(_ other: Self) -> Bool
    /// How `json.encode` writes the object (nil: it cannot be encoded).
    var luaJSONValue: LuaValue? { get }
}

extension LuaObject {
    public func luaField(_ name: String) -> LuaValue? { nil }
    public static var luaFieldNames: [String] { [] }
    public var luaDescription: String { "\(Self.luaTypeName): \(ObjectIdentifier(self))" }
    public func luaEquals(_ other: Self) -> Bool { self === other }
    public var luaJSONValue: LuaValue? { nil }
}

/// A method of a `LuaObject` type: the object, then the call (arguments from 2 on).
public struct LuaMethod<Object: LuaObject> {
    enum Body {
        case sync((Object, LuaCall) throws -> Int32)
        case async((Object, LuaCall) throws -> LuaAsyncOperation)
    }

    let body: Body
    /// One-line signature and doc for `help()`, e.g. `a:link(number [, opts]) -> result`.
    public let doc: String?

    /// A synchronous method.
    /// - Parameters:
    ///   - doc: its signature and one-line summary.
    ///   - body: reads arguments from index 2, pushes results, returns their count.
    public static func sync(doc: String? = nil, _ body: @escaping (Object, LuaCall) throws -> Int32) -> LuaMethod {
        LuaMethod(body: .sync(body), doc: doc)
    }

    /// An asynchronous method (see `LuaAsyncFunction`).
    /// - Parameters:
    ///   - doc: its signature and one-line summary.
    ///   - body: validates arguments and returns the operation.
    public static func async(doc: String? = nil, _ body: @escaping (Object, LuaCall) throws -> LuaAsyncOperation) -> LuaMethod {
        LuaMethod(body: .async(body), doc: doc)
    }
}

extension LuaCall {
    /// Argument `index` as an object of type `T`.
    /// - Throws: `LuaArgumentError` naming `T.luaTypeName` when it is anything else.
    public func object<T: LuaObject>(_ index: Int32, as type: T.Type = T.self) throws(LuaArgumentError) -> T {
        guard let object = optionalObject(index, as: type) else { throw .expected(T.luaTypeName, at: index) }
        return object
    }

    /// Argument `index` as an object of type `T`, or nil when it is not one.
    public func optionalObject<T: LuaObject>(_ index: Int32, as type: T.Type = T.self) -> T? {
        guard let pointer = clb_toobject(L, index, T.luaTypeName) else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue() as? T
    }

    /// Argument `index` as any bridged Swift object.
    public func anyObject(_ index: Int32) -> (any LuaObject)? {
        guard let pointer = clb_toanyobject(L, index, nil) else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue() as? any LuaObject
    }
}
