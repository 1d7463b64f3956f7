// Abstract modules are outside MiniDafny (Dafny accepts this program).
abstract module A {
  function F(x: int): int
}
