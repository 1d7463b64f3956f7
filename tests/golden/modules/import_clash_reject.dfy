// An import may not take the name of a module declared beside it.
module A {
  module B {
    function F(): int { 1 }
  }
  module C {
    function G(): int { 2 }
  }
  import B = C
}
