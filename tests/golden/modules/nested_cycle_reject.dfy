// A parent module depends on its nested modules: importing the parent from inside is a cycle.
module A {
  module B {
    import A
    function F(): int { 1 }
  }
}
