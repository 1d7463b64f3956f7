// Export sets are outside MiniDafny (Dafny accepts this program).
module A {
  export provides F
  function F(x: int): int { x + 1 }
}
