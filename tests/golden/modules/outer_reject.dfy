// A module sees nothing of the file's top level: `Twice` is not visible inside M (Dafny 2.3 also
// reports "not resolving module '_module'" at the module, a consequence of this error).
function Twice(x: int): int { 2 * x }

module M {
  lemma L()
    ensures Twice(2) == 4
  {
  }
}
