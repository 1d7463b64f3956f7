// The values a print statement prints must be defined (Dafny checks them as any expression).

method M(a: array<int>, x: int) {
  print a[3], 10 / x;
}
