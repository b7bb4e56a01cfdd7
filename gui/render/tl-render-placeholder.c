/* placeholder until gui/render/ has sources */
