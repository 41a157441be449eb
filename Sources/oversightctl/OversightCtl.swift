@main
struct OversightCtl {
    static func main() {}
}
