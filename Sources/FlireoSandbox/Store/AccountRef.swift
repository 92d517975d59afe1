/// An authenticated account, as the store hands it to the request that carries its key.
struct AccountRef: Sendable, Hashable {
    /// Position in the store's account list.
    let index: Int
}
