/* placeholder until io/ has sources */
