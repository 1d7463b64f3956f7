type T(0) = int
