@main
struct Oversightd {
    static func main() {}
}
